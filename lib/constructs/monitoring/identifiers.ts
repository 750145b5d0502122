export { pascal } from '../../config/naming';
